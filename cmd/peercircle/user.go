package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"

	"github.com/peercircle/peercircle"
)

const userUsage = `Usage: peercircle user <action> [flags]

Actions:
  add           add a person; with --password-stdin they can sign in at once,
                otherwise an invitation link is printed for them
  set-password  set a person's password, read from standard input
  grant         give a person a role in a scope

Examples:
  peercircle user add --name "Nadia Haddad" --username nadia --password-stdin < pw.txt
  peercircle user grant --login nadia --role admin --scope organisation
  peercircle user grant --login karim --role coordinator --scope area:2
  echo 'a long pass phrase' | peercircle user set-password --login nadia
`

func runUser(ctx context.Context, args []string, e *env) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(e.stderr, userUsage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	var c Config
	fs := flag.NewFlagSet("peercircle user "+args[0], flag.ContinueOnError)
	storageFlags(fs, &c)
	var name, username, email, login, role, scope, baseURL string
	var site int64
	var pwStdin bool
	switch args[0] {
	case "add":
		fs.StringVar(&name, "name", "", "full name (required)")
		fs.StringVar(&username, "username", "", "username for signing in")
		fs.StringVar(&email, "email", "", "e-mail address for signing in and reset links")
		fs.Int64Var(&site, "site", 0, "id of the person's home site")
		fs.BoolVar(&pwStdin, "password-stdin", false, "read a password from standard input and activate the account")
		fs.StringVar(&baseURL, "base-url", "http://127.0.0.1:8080", "public address, for the invitation link")
	case "set-password":
		fs.StringVar(&login, "login", "", "username or e-mail of the person (required)")
	case "grant":
		fs.StringVar(&login, "login", "", "username or e-mail of the person (required)")
		fs.StringVar(&role, "role", "", "admin, coordinator, organiser, supervisor or trainer")
		fs.StringVar(&scope, "scope", "", "organisation, region:ID, area:ID or site:ID")
	default:
		fmt.Fprintf(e.stderr, "peercircle user: unknown action %q\n\n%s", args[0], userUsage)
		return 2
	}
	if err := parse(fs, args[1:], e.stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	s, closeStore, err := c.openStore(ctx)
	if err != nil {
		fmt.Fprintln(e.stderr, "peercircle:", err)
		return 1
	}
	defer closeStore()
	fail := func(err error) int {
		fmt.Fprintln(e.stderr, "peercircle:", describe(err))
		return 1
	}

	switch args[0] {
	case "add":
		p := &peercircle.Person{FullName: name, Username: username, Email: email, HomeSiteID: site, Status: peercircle.PersonInvited}
		var pw string
		if pwStdin {
			if pw, err = readLine(e); err != nil {
				return fail(err)
			}
			p.Status = peercircle.PersonActive
		}
		if err := s.CreatePerson(ctx, p); err != nil {
			return fail(err)
		}
		if pwStdin {
			if err := s.SetPassword(ctx, p.ID, pw); err != nil {
				return fail(err)
			}
			fmt.Fprintf(e.stdout, "added %s (id %d); they can sign in now\n", p.FullName, p.ID)
			return 0
		}
		token, err := s.CreateInvitation(ctx, p.ID, 0)
		if err != nil {
			return fail(err)
		}
		fmt.Fprintf(e.stdout, "added %s (id %d); send them this invitation link (valid 14 days):\n%s/invite/%s\n",
			p.FullName, p.ID, strings.TrimRight(baseURL, "/"), token)
	case "set-password":
		p, err := s.PersonByLogin(ctx, login)
		if err != nil {
			return fail(err)
		}
		pw, err := readLine(e)
		if err != nil {
			return fail(err)
		}
		if err := s.SetPassword(ctx, p.ID, pw); err != nil {
			return fail(err)
		}
		fmt.Fprintf(e.stdout, "password set for %s; their other sessions have ended\n", p.FullName)
	case "grant":
		p, err := s.PersonByLogin(ctx, login)
		if err != nil {
			return fail(err)
		}
		kind, idText, _ := strings.Cut(scope, ":")
		id, _ := strconv.ParseInt(idText, 10, 64)
		g := &peercircle.Grant{PersonID: p.ID, Role: role, ScopeKind: kind, ScopeID: id}
		if err := s.AddGrant(ctx, g); err != nil {
			return fail(err)
		}
		fmt.Fprintf(e.stdout, "%s is now %s of %s\n", p.FullName, role, scope)
	}
	return 0
}

// readLine reads one line (a password) from standard input.
func readLine(e *env) (string, error) {
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		if err != nil {
			return "", fmt.Errorf("no password on standard input")
		}
		return "", fmt.Errorf("the password is empty")
	}
	return line, nil
}

// describe explains a domain error on the command line in English.
func describe(err error) string {
	var de *peercircle.Error
	if errors.As(err, &de) {
		switch {
		case de.Key == "people.login_taken":
			return "that username or e-mail is already used"
		case de.Key == "auth.password_too_short":
			return "the password needs at least 8 characters"
		case de.Key == "auth.password_common":
			return "that password is too common; choose another"
		case de.Code == peercircle.ENOTFOUND:
			return "not found: " + de.Message
		case len(de.Fields) > 0:
			var parts []string
			for f, k := range de.Fields {
				parts = append(parts, f+" ("+k+")")
			}
			return "please check: " + strings.Join(parts, ", ")
		}
		return de.Error()
	}
	return err.Error()
}
