package notify_test

import (
	"os"
	"testing"

	"github.com/peercircle/peercircle/sqlstore/storetest"
)

func TestMain(m *testing.M) { os.Exit(storetest.RunMain(m)) }
