package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/peercircle/peercircle"
)

// FuzzReadForm: whatever body and content type arrive, reading the form
// never panics, answers only 0, 400, 413 or 415, and a form that passes
// formProblem holds only text the domain accepts and numbers where numbers
// go.
func FuzzReadForm(f *testing.F) {
	f.Add("application/x-www-form-urlencoded", "display_name=Rana&capacity=12")
	f.Add("application/x-www-form-urlencoded", "display_name=%E2%80%AERana&venue=abc")
	f.Add("application/x-www-form-urlencoded", "a=%ff%fe&b=1.5")
	f.Add("multipart/form-data; boundary=X", "--X\r\nContent-Disposition: form-data; name=\"capacity\"\r\n\r\n1e3\r\n--X--\r\n")
	f.Add("application/json", `{"display_name":""}`)
	f.Add("", "")
	f.Add("text/plain", "x")
	f.Fuzz(func(t *testing.T, contentType, body string) {
		req := httptest.NewRequest(http.MethodPost, "/profile", strings.NewReader(body))
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		status := readForm(httptest.NewRecorder(), req, maxFormBytes)
		switch status {
		case 0:
		case http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType:
			return
		default:
			t.Fatalf("status %d", status)
		}
		if _, key := formProblem(req.PostForm); key != "" {
			return
		}
		for name, vs := range req.PostForm {
			for _, v := range vs {
				if name != "csrf" && !strings.Contains(name, "password") && peercircle.TextProblem(v) != "" {
					t.Fatalf("%s=%q passed", name, v)
				}
				if numeric(name) && !wholeNumber(v) {
					t.Fatalf("%s=%q passed as a number", name, v)
				}
			}
		}
	})
}
