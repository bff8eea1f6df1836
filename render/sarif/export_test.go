package sarif

// PathURIForTest exposes pathURI to the external tests.
var PathURIForTest = pathURI
