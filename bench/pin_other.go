//go:build !linux

package bench

import "errors"

// pinSelf is only supported on Linux; elsewhere load and server share cores.
func pinSelf(cpus string) error { return errors.New("pinning to cores needs Linux") }

func parseCPUs(s string) ([]int, error) { return nil, errors.New("pinning to cores needs Linux") }
