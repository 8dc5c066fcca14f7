package web

// CallEveryMessage makes s render its pages with every message looked up
// as its template asks, none written in (on), or as it serves them (off),
// for the test that compares the two.
func CallEveryMessage(s *Server, on bool) {
	e := &engine{fsys: s.pages.fsys, pages: map[string]*pageSet{}, callEvery: on}
	for name, p := range s.pages.pages {
		e.pages[name] = &pageSet{name: p.name, files: p.files}
	}
	s.pages = e
}
