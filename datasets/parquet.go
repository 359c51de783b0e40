package datasets

func openParquet(path string, cfg config) (BatchReader, error) {
	return nil, &Error{File: path, Msg: "Parquet reading is being written in this session", Err: ErrFormat}
}
