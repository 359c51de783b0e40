package cmdutil

import (
	"encoding/json"
	"io"

	"github.com/spf13/cobra"
)

// WriteJSON writes v to w as one indented JSON document followed by a
// newline. Documents written this way are stable: fields may be added,
// never renamed.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// AddJSONFlag adds the --json flag, which switches the command's stdout to
// one JSON document and its fatal errors to a JSON object on stderr.
func AddJSONFlag(cmd *cobra.Command, p *bool) {
	cmd.Flags().BoolVar(p, "json", false, "Print the result as one JSON document on stdout")
}
