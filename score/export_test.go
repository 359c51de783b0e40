package score

// WriteExampleRecs writes a recommendation file for the examples: an
// Arrow IPC file with int32 user_id, item_id and rank and a string system
// column, one record batch. Tests only.
func WriteExampleRecs(path string, systems []string, users, items, ranks []int32) error {
	w, err := newRecWriter(path, true)
	if err != nil {
		return err
	}
	if err := w.write(systems, users, items, ranks); err != nil {
		w.close()
		return err
	}
	return w.close()
}
