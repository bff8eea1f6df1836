package trace

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/bench-action/bench-action/catalog"
)

// satisfies is kube-bench's test of one item (check/test.go evaluate and
// compareOp), given whether the setting was found and its value.
func satisfies(t catalog.TestItem, found bool, value string) bool {
	if !t.Set {
		return !found
	}
	if !found {
		return false
	}
	if t.Op == "" {
		return true
	}
	return compareOp(t.Op, value, t.Value)
}

// compareOp is kube-bench's compareOp.
func compareOp(op, flagVal, want string) bool {
	switch op {
	case "eq":
		v := strings.ToLower(flagVal)
		if v == "false" || v == "true" {
			return v == want
		}
		return flagVal == want
	case "noteq":
		v := strings.ToLower(flagVal)
		if v == "false" || v == "true" {
			return v != want
		}
		return flagVal != want
	case "gt", "gte", "lt", "lte":
		a, errA := strconv.Atoi(strings.TrimSpace(flagVal))
		b, errB := strconv.Atoi(strings.TrimSpace(want))
		if errA != nil || errB != nil {
			return false
		}
		switch op {
		case "gt":
			return a > b
		case "gte":
			return a >= b
		case "lt":
			return a < b
		}
		return a <= b
	case "has":
		return strings.Contains(flagVal, want)
	case "nothave":
		return !strings.Contains(flagVal, want)
	case "regex":
		re, err := regexp.Compile(want)
		return err == nil && re.MatchString(flagVal)
	case "valid_elements":
		s := splitList(flagVal)
		t := splitList(want)
		if len(s) == 0 || len(t) == 0 {
			return len(s) == 0 && len(t) == 0
		}
		for _, sv := range s {
			ok := false
			for _, tv := range t {
				if sv == tv {
					ok = true
					break
				}
			}
			if !ok {
				return false
			}
		}
		return true
	case "bitmask":
		req, err1 := strconv.ParseInt(flagVal, 8, 64)
		mx, err2 := strconv.ParseInt(want, 8, 64)
		return err1 == nil && err2 == nil && mx&req == req
	}
	// kube-bench: an unknown operator leaves the result false
	return false
}

// splitList is kube-bench's splitAndRemoveLastSeparator with ",".
func splitList(s string) []string {
	c := strings.TrimRight(strings.TrimSpace(s), ",")
	if c == "" {
		return nil
	}
	out := strings.Split(c, ",")
	for i := range out {
		out[i] = strings.TrimSpace(out[i])
	}
	return out
}

// describeTest writes a test as "eq false", "has RBAC", "set", "not set".
func describeTest(t catalog.TestItem) string {
	switch {
	case !t.Set:
		return "not set"
	case t.Op == "":
		return "set"
	case t.Value == "":
		return t.Op
	}
	return t.Op + " " + t.Value
}

// wanted is the value a test item asks for, given the current one; ok is
// false when the test does not determine one (a file path, a regex).
func wanted(t catalog.TestItem, component string, current string, set bool) (string, bool) {
	switch t.Op {
	case "":
		// set to anything: the value the component runs with, when it has
		// one (from a config file kube-bench does not read)
		if set && current != "" && current != "true" {
			return strings.TrimSuffix(current, ","), true
		}
	case "eq":
		return t.Value, true
	case "noteq":
		switch strings.ToLower(t.Value) {
		case "false":
			return "true", true
		case "true":
			return "false", true
		}
	case "gte", "lte":
		return t.Value, true
	case "gt", "lt":
		n, err := strconv.Atoi(t.Value)
		if err != nil {
			return "", false
		}
		if t.Op == "gt" {
			return strconv.Itoa(n + 1), true
		}
		return strconv.Itoa(n - 1), true
	case "has":
		if set && current != "" && current != "true" {
			return current + "," + t.Value, true
		}
		return t.Value, true
	case "nothave":
		var keep []string
		for _, e := range splitList(current) {
			if !strings.Contains(e, t.Value) {
				keep = append(keep, e)
			}
		}
		if len(keep) > 0 {
			return strings.Join(keep, ","), true
		}
		if t.Value == "AlwaysAllow" {
			if component == Kubelet {
				return "Webhook", true
			}
			return "Node,RBAC", true
		}
	case "valid_elements":
		allowed := splitList(t.Value)
		var keep []string
		for _, e := range splitList(current) {
			for _, a := range allowed {
				if e == a {
					keep = append(keep, e)
					break
				}
			}
		}
		if len(keep) > 0 {
			return strings.Join(keep, ","), true
		}
	}
	return "", false
}
