package action_test

import "flag"

// update rewrites golden files: go test ./action -update
var update = flag.Bool("update", false, "rewrite the golden files in testdata")
