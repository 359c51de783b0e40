package datasets

func openCSV(path string, cfg config) (BatchReader, error) {
	return nil, &Error{File: path, Msg: "CSV reading is being written in this session", Err: ErrFormat}
}
