// Command pulumi-resource-pulumi-nodejs is the plugin through which the Pulumi CLI runs Node.js dynamic
// providers. It does what the shell script of that name in @pulumi/pulumi does, `node <@pulumi/pulumi/cmd/
// dynamic-provider, resolved from the working directory> <args>`, and one thing more: it ends the provider
// when the engine that started it is gone (internal/enginewatch). The script leaves the provider's node
// process running indefinitely after the engine is killed.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"

	"pulumi-cli-tools/internal/enginewatch"
	"pulumi-cli-tools/internal/nodemodule"
)

func main() {
	args := os.Args[1:]
	// The engine passes its own address last, after any logging and tracing flags.
	engineAddress := ""
	if n := len(args); n > 0 && !strings.HasPrefix(args[n-1], "-") {
		engineAddress = args[n-1]
	}
	enginewatch.Start(engineAddress)

	script, err := nodemodule.Resolve(context.Background(), ".", "@pulumi/pulumi/cmd/dynamic-provider")
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-resource-pulumi-nodejs: %v\n", err)
		os.Exit(1)
	}
	cmd := exec.Command("node", append([]string{script}, args...)...)
	// The provider prints its port on stdout, which the engine reads; stdin stays ours, for enginewatch.
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr

	// The engine asks plugins to stop with signals: pass them on and exit the way the provider does.
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		for s := range signals {
			if cmd.Process != nil {
				_ = cmd.Process.Signal(s)
			}
		}
	}()

	if err := nodemodule.Run(cmd); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			os.Exit(exitErr.ExitCode())
		}
		fmt.Fprintf(os.Stderr, "pulumi-resource-pulumi-nodejs: %v\n", err)
		os.Exit(1)
	}
}
