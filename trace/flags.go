package trace

import (
	"regexp"
	"strings"
)

// flagUse is one flag as a component parses its command line.
type flagUse struct {
	name     string // "--profiling"
	value    string
	hasValue bool
	split    bool // "--flag", "value": the value is the next item
	arg      int  // index in Args of the flag
	valueArg int  // index in Args of the value (split), else arg
}

// boolFlags are flags the components parse as booleans: "--flag" alone
// is true and the next item is not its value.
var boolFlags = map[string]bool{
	"--allow-privileged": true, "--anonymous-auth": true, "--auto-tls": true,
	"--client-cert-auth": true, "--enable-bootstrap-token-auth": true,
	"--leader-elect": true, "--make-iptables-util-chains": true,
	"--peer-auto-tls": true, "--peer-client-cert-auth": true, "--profiling": true,
	"--protect-kernel-defaults": true, "--rotate-certificates": true,
	"--rotate-server-certificates": true, "--service-account-lookup": true,
	"--use-service-account-credentials": true, "--serialize-image-pulls": true,
	"--experimental-initial-corrupt-check": true, "--strict-reconfig-check": true,
	"--enable-v2": true, "--audit-log-compress": true,
}

// parseFlags reads a command line as the components (pflag, and etcd's
// flag package) do: "--flag=value"; "--flag" "value" for a flag that is
// not a boolean when the next item is not a flag; "--flag" alone is
// true. Items that are not flags and not consumed are skipped.
func parseFlags(args []Arg) []flagUse {
	var out []flagUse
	for i := 0; i < len(args); i++ {
		t := args[i].Text
		if !strings.HasPrefix(t, "-") || t == "-" || t == "--" {
			continue
		}
		name, value, has := strings.Cut(t, "=")
		name = "--" + strings.TrimLeft(name, "-")
		f := flagUse{name: name, value: value, hasValue: has, arg: i, valueArg: i}
		if !has {
			if !boolFlags[name] && i+1 < len(args) && !strings.HasPrefix(args[i+1].Text, "-") {
				f.value, f.hasValue, f.split, f.valueArg = args[i+1].Text, true, true, i+1
				i++
			} else {
				f.value = "true"
			}
		}
		out = append(out, f)
	}
	return out
}

// lastFlag returns the occurrence of a flag the component uses: the last.
func lastFlag(args []Arg, name string) (flagUse, []flagUse, bool) {
	var all []flagUse
	for _, f := range parseFlags(args) {
		if f.name == name {
			all = append(all, f)
		}
	}
	if len(all) == 0 {
		return flagUse{}, nil, false
	}
	return all[len(all)-1], all, true
}

// kubeBenchFlag reads a flag from a component's command line as
// kube-bench v0.14.1 does (check/test.go, flagTestItem.findValue): the
// flag is present when the line contains it anywhere; its value is the
// first match of `(FLAG)(=|: *)*([^\s]*) *`, and a "--" flag with no value
// attached ("--audit-log-maxage 30") reads as "true". It returns the
// index of the item the match starts in (-1 for the program's name).
func kubeBenchFlag(c *Component, name string) (value string, arg int, found bool) {
	line := c.CommandLine()
	if name == "" || !strings.Contains(line, name) {
		return "", -1, false
	}
	re, err := regexp.Compile(`(` + regexp.QuoteMeta(name) + `)(=|: *)*([^\s]*) *`)
	if err != nil {
		return "", -1, false
	}
	loc := re.FindStringSubmatchIndex(line)
	if loc == nil {
		return "", -1, true
	}
	value = line[loc[6]:loc[7]]
	if value == "" {
		if strings.HasPrefix(name, "--") {
			value = "true"
		} else {
			value = name
		}
	}
	arg = -1
	off := len(c.Name) + 1
	for i, a := range c.Args {
		end := off + len(a.Text)
		if loc[0] >= off && loc[0] < end {
			arg = i
			break
		}
		off = end + 1
	}
	return value, arg, true
}
