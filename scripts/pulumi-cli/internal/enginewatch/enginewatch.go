// Package enginewatch ends a plugin process, and the processes it started, once the Pulumi engine that
// launched it is gone.
//
// The engine normally stops its plugins itself. When it dies without doing so (kill -9, OOM killer, a
// crash), nothing else would: a language host keeps serving gRPC and the dynamic provider keeps its Node.js
// process alive indefinitely. Three signs of a dead engine are watched, whichever comes first:
//   - our parent process changed (the engine is the parent of every plugin it launches);
//   - stdin reached end of file (the engine holds the write end of a pipe to each plugin's stdin);
//   - the engine's gRPC endpoint stopped answering health checks (what upstream plugins watch).
package enginewatch

import (
	"context"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
)

const (
	parentPollInterval  = 250 * time.Millisecond
	healthCheckInterval = 5 * time.Second
	// How long started processes get to end on SIGTERM before they are killed.
	terminateGrace = 2 * time.Second
)

var (
	mu       sync.Mutex
	children = map[*os.Process]struct{}{}
)

// Track registers a process this one started, so that it is ended with us even when we do not lead our own
// process group (a plugin launched by the engine always does: the engine gives each one a group).
func Track(p *os.Process) {
	mu.Lock()
	defer mu.Unlock()
	children[p] = struct{}{}
}

// Untrack forgets a process registered with Track, once it has exited.
func Untrack(p *os.Process) {
	mu.Lock()
	defer mu.Unlock()
	delete(children, p)
}

// Start watches for the end of the engine at engineAddress ("" when unknown: the other signs still work) and
// then ends this process and everything it started. It never writes to stdout or stderr after the engine is
// gone: those are pipes to the dead engine, and a write to them would end us by SIGPIPE before the cleanup.
func Start(engineAddress string) {
	gone := make(chan struct{})
	var once sync.Once
	signalGone := func() { once.Do(func() { close(gone) }) }

	parent := os.Getppid()
	go func() {
		for range time.Tick(parentPollInterval) {
			if os.Getppid() != parent {
				signalGone()
				return
			}
		}
	}()

	// Only a pipe says something when it closes: a terminal or /dev/null (a plugin started by hand) does not.
	if fi, err := os.Stdin.Stat(); err == nil && fi.Mode()&os.ModeNamedPipe != 0 {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			signalGone()
		}()
	}

	if engineAddress != "" {
		ctx, cancel := context.WithCancel(context.Background())
		if err := rpcutil.Healthcheck(ctx, engineAddress, healthCheckInterval, cancel); err == nil {
			go func() {
				<-ctx.Done()
				signalGone()
			}()
		}
	}

	go func() {
		<-gone
		endAll()
	}()
}

// endAll ends every process we started, then this one.
func endAll() {
	if syscall.Getpgrp() == os.Getpid() {
		// We lead our process group, so it holds exactly what we started (and what those started).
		signal.Ignore(syscall.SIGTERM)
		_ = syscall.Kill(0, syscall.SIGTERM)
		time.Sleep(terminateGrace)
		_ = syscall.Kill(0, syscall.SIGKILL)
	}
	mu.Lock()
	for p := range children {
		_ = p.Kill()
	}
	mu.Unlock()
	os.Exit(1)
}
