package web

import "net/http"

// registerRoutes lists every route of the product. Each area of the product
// registers its routes in its own function, in its own file.
func (s *Server) registerRoutes() {
	s.handlePublic("GET /static/", http.StripPrefix("/static/", s.staticHandler()))
	s.handlePublic("GET /healthz", http.HandlerFunc(s.healthz))
	s.handlePublic("GET /readyz", http.HandlerFunc(s.readyz))

	s.authRoutes()
	s.answerRoutes()
	s.secondFactorRoutes()
	s.homeRoutes()
	s.orgRoutes()
	s.peopleRoutes()
	s.identityRoutes()
	s.groupRoutes()
	s.topicRoutes()
	s.reportRoutes()
	s.sessionRoutes()
	s.rotaRoutes()
	s.safetyRoutes()
	s.myDataRoutes()
	s.growthRoutes()
	s.publicRoutes()
	s.outboxRoutes()
	s.importRoutes()
	s.hookRoutes()
}
