// Package nodemodule finds Node.js modules the way a program in a given directory would, and runs node with
// the processes it starts tied to the engine's life (see enginewatch).
package nodemodule

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strings"

	"pulumi-cli-tools/internal/enginewatch"
)

// Resolve asks node for the file behind a module specifier, resolved from dir.
func Resolve(ctx context.Context, dir, spec string) (string, error) {
	cmd := exec.CommandContext(ctx, "node", "-e", "console.log(require.resolve(process.argv[1]))", spec)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("could not find %s from %s (have you run `npm install`?): %w: %s",
			spec, dir, err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(string(out)), nil
}

// Run starts cmd, registers it with enginewatch until it exits, and waits for it.
func Run(cmd *exec.Cmd) error {
	if err := cmd.Start(); err != nil {
		return err
	}
	enginewatch.Track(cmd.Process)
	defer enginewatch.Untrack(cmd.Process)
	return cmd.Wait()
}
