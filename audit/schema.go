package audit

import _ "embed"

// Schema is the JSON Schema (draft 2020-12) of the results document,
// schema.json in this package's directory. It lists every field a Result
// marshals and which are required; consumers must ignore fields it does
// not list, since fields are added over time. The caller must not modify
// it.
//
//go:embed schema.json
var Schema []byte
