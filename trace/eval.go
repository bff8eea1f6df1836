package trace

func traceCheck(cfg *Config, c Check) []Finding { return nil }
