// Package actiondoc renders the inputs and outputs of action.yml as the
// Markdown tables of the README, so that a test can hold the two equal.
//
// The README section lives between the markers [Begin] and [End];
// `go test ./internal/actiondoc -update` rewrites it from action.yml.
package actiondoc

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// Markers around the generated section of the README.
const (
	Begin = "<!-- action-table:begin -->"
	End   = "<!-- action-table:end -->"
)

// Input is one input of action.yml.
type Input struct {
	Name        string
	Description string
	Required    bool
	Default     string
}

// Output is one output of action.yml.
type Output struct {
	Name        string
	Description string
}

// Metadata is the part of action.yml that the README documents, in the
// order of the file.
type Metadata struct {
	Inputs  []Input
	Outputs []Output
}

// Parse reads the inputs and outputs of an action.yml, keeping their order.
func Parse(data []byte) (Metadata, error) {
	var doc struct {
		Inputs  yaml.Node `yaml:"inputs"`
		Outputs yaml.Node `yaml:"outputs"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return Metadata{}, fmt.Errorf("parse action.yml: %w", err)
	}
	var m Metadata
	var errs []error
	err := eachEntry(doc.Inputs, func(name string, v *yaml.Node) error {
		var in struct {
			Description string  `yaml:"description"`
			Required    bool    `yaml:"required"`
			Default     *string `yaml:"default"`
		}
		if err := v.Decode(&in); err != nil {
			return fmt.Errorf("input %s (line %d): %w", name, v.Line, err)
		}
		if strings.TrimSpace(in.Description) == "" {
			errs = append(errs, fmt.Errorf("input %s (line %d): no description", name, v.Line))
		}
		def := ""
		if in.Default != nil {
			def = *in.Default
		}
		m.Inputs = append(m.Inputs, Input{Name: name, Description: oneLine(in.Description), Required: in.Required, Default: def})
		return nil
	})
	errs = append(errs, err)
	err = eachEntry(doc.Outputs, func(name string, v *yaml.Node) error {
		var out struct {
			Description string `yaml:"description"`
			Value       string `yaml:"value"`
		}
		if err := v.Decode(&out); err != nil {
			return fmt.Errorf("output %s (line %d): %w", name, v.Line, err)
		}
		if strings.TrimSpace(out.Description) == "" {
			errs = append(errs, fmt.Errorf("output %s (line %d): no description", name, v.Line))
		}
		m.Outputs = append(m.Outputs, Output{Name: name, Description: oneLine(out.Description)})
		return nil
	})
	errs = append(errs, err)
	if err := errors.Join(errs...); err != nil {
		return m, fmt.Errorf("parse action.yml: %w", err)
	}
	return m, nil
}

// Render writes the README section (without the markers).
func Render(m Metadata) string {
	var b strings.Builder
	b.WriteString("<!-- Generated from action.yml by `go test ./internal/actiondoc -update`; do not edit by hand. -->\n\n")
	b.WriteString("### Inputs\n\n| Input | Required | Default | Description |\n|---|---|---|---|\n")
	for _, in := range m.Inputs {
		req := "no"
		if in.Required {
			req = "yes"
		}
		def := ""
		if in.Default != "" {
			def = "`" + in.Default + "`"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", in.Name, req, def, cell(in.Description))
	}
	b.WriteString("\n### Outputs\n\n| Output | Description |\n|---|---|\n")
	for _, out := range m.Outputs {
		fmt.Fprintf(&b, "| `%s` | %s |\n", out.Name, cell(out.Description))
	}
	return b.String()
}

// Section returns the text between the markers of readme.
func Section(readme []byte) (string, error) {
	i := bytes.Index(readme, []byte(Begin))
	j := bytes.Index(readme, []byte(End))
	if i < 0 || j < 0 || j < i {
		return "", fmt.Errorf("README: markers %s and %s not found in that order", Begin, End)
	}
	return strings.Trim(string(readme[i+len(Begin):j]), "\n"), nil
}

// Replace returns readme with the text between the markers set to section.
func Replace(readme []byte, section string) ([]byte, error) {
	i := bytes.Index(readme, []byte(Begin))
	j := bytes.Index(readme, []byte(End))
	if i < 0 || j < 0 || j < i {
		return nil, fmt.Errorf("README: markers %s and %s not found in that order", Begin, End)
	}
	var b bytes.Buffer
	b.Write(readme[:i+len(Begin)])
	b.WriteString("\n" + strings.Trim(section, "\n") + "\n")
	b.Write(readme[j:])
	return b.Bytes(), nil
}

// ParseSection reads the tables of a README section back, so that a
// mismatch can be reported input by input.
func ParseSection(section string) Metadata {
	var m Metadata
	table := ""
	for _, line := range strings.Split(section, "\n") {
		switch {
		case strings.HasPrefix(line, "| Input |"):
			table = "inputs"
			continue
		case strings.HasPrefix(line, "| Output |"):
			table = "outputs"
			continue
		case !strings.HasPrefix(line, "| `"):
			continue
		}
		cells := splitRow(line)
		switch {
		case table == "inputs" && len(cells) == 4:
			m.Inputs = append(m.Inputs, Input{Name: strings.Trim(cells[0], "`"), Required: cells[1] == "yes",
				Default: strings.TrimSuffix(strings.TrimPrefix(cells[2], "`"), "`"), Description: uncell(cells[3])})
		case table == "outputs" && len(cells) == 2:
			m.Outputs = append(m.Outputs, Output{Name: strings.Trim(cells[0], "`"), Description: uncell(cells[1])})
		}
	}
	return m
}

// eachEntry calls f for each key of a YAML mapping, in order.
func eachEntry(n yaml.Node, f func(name string, v *yaml.Node) error) error {
	if n.Kind == 0 {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: want a mapping", n.Line)
	}
	var errs []error
	for i := 0; i+1 < len(n.Content); i += 2 {
		errs = append(errs, f(n.Content[i].Value, n.Content[i+1]))
	}
	return errors.Join(errs...)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

func uncell(s string) string { return strings.ReplaceAll(s, `\|`, "|") }

// splitRow splits "| a | b \| c |" into ["a", "b \| c"].
func splitRow(line string) []string {
	line = strings.TrimSpace(line)
	line = strings.TrimPrefix(strings.TrimSuffix(line, "|"), "|")
	var cells []string
	var cur strings.Builder
	for i := 0; i < len(line); i++ {
		if line[i] == '\\' && i+1 < len(line) && line[i+1] == '|' {
			cur.WriteString(`\|`)
			i++
			continue
		}
		if line[i] == '|' {
			cells = append(cells, strings.TrimSpace(cur.String()))
			cur.Reset()
			continue
		}
		cur.WriteByte(line[i])
	}
	return append(cells, strings.TrimSpace(cur.String()))
}
