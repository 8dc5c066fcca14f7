// Package e2e holds PeerCircle's browser tests: they build the real binary,
// start `peercircle demo` on a free port with a fresh data directory, and
// drive it in headless Chromium as a person would, on a phone-sized screen.
// Screenshots of the pages they pass through are saved under
// build/screenshots/ to be looked at.
package e2e
