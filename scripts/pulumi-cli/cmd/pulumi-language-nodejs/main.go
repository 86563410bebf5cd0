// Command pulumi-language-nodejs is a small Node.js language host for the Pulumi CLI.
//
// Why it exists: the upstream host lives in its own Go module,
// github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3, which is untagged and which the Go
// module proxy reachable from our machines does not serve (every version, pseudo-versions included,
// answers 403). The CLI itself (github.com/pulumi/pulumi/pkg/v3) is served, so scripts/install-pulumi.sh
// builds it from there and builds this program next to it.
//
// It speaks the LanguageRuntime gRPC protocol of github.com/pulumi/pulumi/sdk/v3 and runs programs the
// way the upstream host does: `node [nodeargs] <@pulumi/pulumi/cmd/run> --monitor ... <program>`, with the
// stack configuration in PULUMI_CONFIG and PULUMI_CONFIG_SECRET_KEYS. It implements what `pulumi preview`,
// `up`, `refresh`, `destroy`, `install`, `about` and `plugin run` need; code generation (`convert`,
// `package gen-sdk`), `new` templating, `pack` and `link` answer Unimplemented. Policy packs
// (`--policy-pack`) run as upstream runs them: from the pack's own directory. It ends itself and the node
// processes it started as soon as the engine that launched it is gone (internal/enginewatch).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"pulumi-cli-tools/internal/enginewatch"
	"pulumi-cli-tools/internal/nodemodule"

	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/cmdutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	"github.com/pulumi/pulumi/sdk/v3/nodejs/npm"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
)

// Exit code with which @pulumi/pulumi/cmd/run ends after it has already shown the user an actionable error;
// the engine is then told to bail out quietly instead of adding a generic error message.
const exitedAfterUserActionableMessage = 32

func main() {
	var tracing, root, nodeargs, packagemanager string
	var typescript bool
	flag.StringVar(&tracing, "tracing", "", "Emit tracing to a Zipkin-compatible tracing endpoint")
	flag.StringVar(&root, "root", "", "Project root path to use")
	flag.BoolVar(&typescript, "typescript", true, "Use ts-node at runtime to support TypeScript source natively")
	flag.StringVar(&nodeargs, "nodeargs", "", "Arguments for the Node process")
	flag.StringVar(&packagemanager, "packagemanager", "", "Package manager to use (npm, yarn, pnpm, bun)")
	flag.Parse()
	logging.InitLogging(false, 0, false)

	host := &nodeHost{
		tracing: tracing,
		defaults: runtimeOptions{
			typescript:     typescript,
			nodeargs:       nodeargs,
			packagemanager: npm.PackageManagerType(packagemanager),
		},
	}
	if args := flag.Args(); len(args) > 0 {
		host.engineAddress = args[0]
	}
	enginewatch.Start(host.engineAddress)

	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
	})
	if err != nil {
		cmdutil.Exit(fmt.Errorf("could not start language host RPC server: %w", err))
	}
	// The engine reads the port from our first line of output.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		cmdutil.Exit(fmt.Errorf("language host RPC stopped serving: %w", err))
	}
}

type runtimeOptions struct {
	typescript     bool
	nodeargs       string
	packagemanager npm.PackageManagerType
}

type nodeHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	mu            sync.Mutex
	engineAddress string
	tracing       string
	defaults      runtimeOptions
}

func (h *nodeHost) engine() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.engineAddress
}

// options reads the `runtime.options` of Pulumi.yaml (typescript, nodeargs, packagemanager).
func (h *nodeHost) options(info *pulumirpc.ProgramInfo) runtimeOptions {
	opts := h.defaults
	if info == nil || info.GetOptions() == nil {
		return opts
	}
	m := info.GetOptions().AsMap()
	if v, ok := m["typescript"].(bool); ok {
		opts.typescript = v
	}
	if v, ok := m["nodeargs"].(string); ok {
		opts.nodeargs = v
	}
	if v, ok := m["packagemanager"].(string); ok {
		opts.packagemanager = npm.PackageManagerType(v)
	}
	return opts
}

func (h *nodeHost) Handshake(
	ctx context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if req.GetEngineAddress() != "" {
		h.engineAddress = req.GetEngineAddress()
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *nodeHost) GetPluginInfo(ctx context.Context, _ *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version.Version}, nil
}

func (h *nodeHost) Cancel(ctx context.Context, _ *emptypb.Empty) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

// programDir is the directory holding the program's package.json (ProgramInfo.program_directory).
func programDir(info *pulumirpc.ProgramInfo, fallback string) string {
	if d := info.GetProgramDirectory(); d != "" {
		return d
	}
	if fallback != "" {
		return fallback
	}
	wd, _ := os.Getwd()
	return wd
}

// --- plugin discovery ------------------------------------------------------------------------------------

type packageJSON struct {
	Name    string                  `json:"name"`
	Version string                  `json:"version"`
	Pulumi  plugin.PulumiPluginJSON `json:"pulumi"`
}

// requiredPackages finds every installed npm package whose package.json says {"pulumi": {"resource": true}},
// in the node_modules folders from the program directory up to the project root.
func requiredPackages(info *pulumirpc.ProgramInfo, pwd string) []*pulumirpc.PackageDependency {
	dir := programDir(info, pwd)
	stop := info.GetRootDirectory()
	seen := map[string]bool{}
	visited := map[string]bool{}
	var deps []*pulumirpc.PackageDependency
	for {
		scanNodeModules(filepath.Join(dir, "node_modules"), visited, func(pkg packageJSON) {
			dep, err := packageDependency(pkg)
			if err != nil {
				logging.V(3).Infof("skipping %s: %v", pkg.Name, err)
				return
			}
			key := dep.Name + "@" + dep.Version
			if dep.Parameterization != nil {
				key += "/" + dep.Parameterization.Name + "@" + dep.Parameterization.Version
			}
			if !seen[key] {
				seen[key] = true
				deps = append(deps, dep)
			}
		})
		parent := filepath.Dir(dir)
		if stop == "" || dir == stop || parent == dir || !strings.HasPrefix(dir, stop) {
			break
		}
		dir = parent
	}
	sort.Slice(deps, func(i, j int) bool { return deps[i].Name < deps[j].Name })
	return deps
}

// scanNodeModules calls fn for the package.json of each package in nodeModules, including @scoped ones and
// nested node_modules folders.
func scanNodeModules(nodeModules string, visited map[string]bool, fn func(packageJSON)) {
	real, err := filepath.EvalSymlinks(nodeModules)
	if err != nil || visited[real] {
		return
	}
	visited[real] = true
	entries, err := os.ReadDir(nodeModules)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		p := filepath.Join(nodeModules, name)
		if strings.HasPrefix(name, "@") {
			scoped, err := os.ReadDir(p)
			if err != nil {
				continue
			}
			for _, s := range scoped {
				visitPackage(filepath.Join(p, s.Name()), visited, fn)
			}
			continue
		}
		visitPackage(p, visited, fn)
	}
}

func visitPackage(dir string, visited map[string]bool, fn func(packageJSON)) {
	if b, err := os.ReadFile(filepath.Join(dir, "package.json")); err == nil {
		var pkg packageJSON
		if err := json.Unmarshal(b, &pkg); err == nil && pkg.Pulumi.Resource {
			fn(pkg)
		}
	}
	scanNodeModules(filepath.Join(dir, "node_modules"), visited, fn)
}

func packageDependency(pkg packageJSON) (*pulumirpc.PackageDependency, error) {
	name := pkg.Pulumi.Name
	if name == "" {
		switch {
		case pkg.Name == "":
			return nil, errors.New(`missing "name" in package.json`)
		case strings.HasPrefix(pkg.Name, "@pulumi/"):
			name = strings.TrimPrefix(pkg.Name, "@pulumi/")
		default:
			name = strings.TrimPrefix(pkg.Name, "@")
		}
	}
	ver := pkg.Pulumi.Version
	if ver == "" {
		ver = pkg.Version
	}
	if ver == "" {
		return nil, errors.New(`missing "version" in package.json`)
	}
	if !strings.HasPrefix(ver, "v") {
		ver = "v" + ver
	}
	dep := &pulumirpc.PackageDependency{Kind: "resource", Name: name, Version: ver, Server: pkg.Pulumi.Server}
	if p := pkg.Pulumi.Parameterization; p != nil {
		dep.Parameterization = &pulumirpc.PackageParameterization{Name: p.Name, Version: p.Version, Value: p.Value}
	}
	if p := pkg.Pulumi.ExtensionParameterization; p != nil {
		dep.Extension = &pulumirpc.PackageParameterization{Name: p.Name, Version: p.Version, Value: p.Value}
	}
	return dep, nil
}

func (h *nodeHost) GetRequiredPackages(
	ctx context.Context, req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{Packages: requiredPackages(req.GetInfo(), "")}, nil
}

func (h *nodeHost) GetRequiredPlugins(
	ctx context.Context, req *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	var plugins []*pulumirpc.PluginDependency
	for _, p := range requiredPackages(req.GetInfo(), req.GetPwd()) {
		if p.Parameterization != nil {
			continue
		}
		plugins = append(plugins, &pulumirpc.PluginDependency{
			Name: p.Name, Kind: p.Kind, Version: p.Version, Server: p.Server,
		})
	}
	return &pulumirpc.GetRequiredPluginsResponse{Plugins: plugins}, nil
}

// --- running programs ------------------------------------------------------------------------------------

func (h *nodeHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	if _, err := exec.LookPath("node"); err != nil {
		return nil, fmt.Errorf("could not find node on the $PATH: %w", err)
	}
	opts := h.options(req.GetInfo())
	pwd := req.GetPwd()
	if pwd == "" {
		pwd = programDir(req.GetInfo(), "")
	}
	runPath, err := nodemodule.Resolve(ctx, pwd, "@pulumi/pulumi/cmd/run")
	if err != nil {
		return nil, err
	}

	args := strings.Fields(opts.nodeargs)
	args = append(args, runPath)
	add := func(k, v string) {
		if v != "" {
			args = append(args, "--"+k, v)
		}
	}
	add("monitor", req.GetMonitorAddress())
	add("engine", h.engine())
	add("organization", req.GetOrganization())
	add("project", req.GetProject())
	add("stack", req.GetStack())
	add("pwd", pwd)
	add("root-directory", req.GetInfo().GetRootDirectory())
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	add("parallel", fmt.Sprint(req.GetParallel()))
	add("tracing", h.tracing)
	program := req.GetProgram()
	if program == "" {
		program = "."
	}
	args = append(args, program)
	args = append(args, req.GetArgs()...)

	config := req.GetConfig()
	if config == nil {
		config = map[string]string{}
	}
	configJSON, err := json.Marshal(config)
	if err != nil {
		return nil, fmt.Errorf("serializing config: %w", err)
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretKeysJSON, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, fmt.Errorf("serializing secret config keys: %w", err)
	}

	env := append(os.Environ(),
		"PULUMI_CONFIG="+string(configJSON),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secretKeysJSON),
		fmt.Sprintf("PULUMI_NODEJS_TYPESCRIPT=%t", opts.typescript),
	)

	logging.V(5).Infof("language host launching: node %s", strings.Join(args, " "))
	cmd := exec.Command("node", args...)
	cmd.Dir = pwd
	cmd.Env = env
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	if err := nodemodule.Run(cmd); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			if exitErr.ExitCode() == exitedAfterUserActionableMessage {
				return &pulumirpc.RunResponse{Bail: true}, nil
			}
			return &pulumirpc.RunResponse{
				Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exitErr.ExitCode()),
			}, nil
		}
		return &pulumirpc.RunResponse{
			Error: fmt.Sprintf("Problem executing program (could not run language executor): %v", err),
		}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}

// streamWriter turns writes into messages on a gRPC response stream.
type streamWriter struct {
	mu   *sync.Mutex
	send func([]byte) error
}

func (w streamWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	b := append([]byte(nil), p...)
	if err := w.send(b); err != nil {
		return 0, err
	}
	return len(p), nil
}

func (h *nodeHost) RunPlugin(
	req *pulumirpc.RunPluginRequest, server grpc.ServerStreamingServer[pulumirpc.RunPluginResponse],
) error {
	ctx := server.Context()
	opts := h.options(req.GetInfo())
	pwd := req.GetPwd()
	if pwd == "" {
		pwd = programDir(req.GetInfo(), "")
	}
	program := req.GetInfo().GetProgramDirectory()
	if program == "" {
		program = req.GetProgram()
	}
	runner := "@pulumi/pulumi/cmd/run-plugin"
	policyPack := req.GetKind() == string(apitype.AnalyzerPlugin)
	if policyPack {
		// As the upstream host does: a policy pack runs in its own directory, where @pulumi/policy reads the
		// pack's name and version from the pack's package.json (not the stack's project), through the runner
		// for policy packs, which takes the engine's address (our args) before the pack.
		runner = "@pulumi/pulumi/cmd/run-policy-pack"
		pwd = program
	}
	runPath, err := nodemodule.Resolve(ctx, program, runner)
	if err != nil {
		return err
	}
	args := strings.Fields(opts.nodeargs)
	args = append(args, runPath, "--pwd", pwd)
	if policyPack {
		args = append(append(args, req.GetArgs()...), program)
	} else {
		args = append(append(args, program), req.GetArgs()...)
	}

	var mu sync.Mutex
	cmd := exec.CommandContext(ctx, "node", args...)
	cmd.Dir = pwd
	cmd.Env = append(append(os.Environ(), req.GetEnv()...),
		fmt.Sprintf("PULUMI_NODEJS_TYPESCRIPT=%t", opts.typescript))
	cmd.Stdout = streamWriter{&mu, func(b []byte) error {
		return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stdout{Stdout: b}})
	}}
	cmd.Stderr = streamWriter{&mu, func(b []byte) error {
		return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stderr{Stderr: b}})
	}}
	code := int32(0)
	if err := nodemodule.Run(cmd); err != nil {
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			return err
		}
		code = int32(exitErr.ExitCode())
	}
	return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: code}})
}

// --- dependencies and `pulumi about` -------------------------------------------------------------------

func (h *nodeHost) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest, server grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse],
) error {
	dir := programDir(req.GetInfo(), req.GetDirectory())
	opts := h.options(req.GetInfo())
	var mu sync.Mutex
	stdout := streamWriter{&mu, func(b []byte) error {
		return server.Send(&pulumirpc.InstallDependenciesResponse{Stdout: b})
	}}
	stderr := streamWriter{&mu, func(b []byte) error {
		return server.Send(&pulumirpc.InstallDependenciesResponse{Stderr: b})
	}}
	name, err := npm.Install(server.Context(), opts.packagemanager, dir, false /*production*/, stdout, stderr)
	if err != nil {
		return fmt.Errorf("%s install failed in %s: %w", name, dir, err)
	}
	return nil
}

func (h *nodeHost) GetProgramDependencies(
	ctx context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	dir := programDir(req.GetInfo(), req.GetPwd())
	pm, err := npm.ResolvePackageManager(h.options(req.GetInfo()).packagemanager, dir)
	if err != nil {
		return nil, err
	}
	pkgs, err := pm.ListPackages(ctx, dir, req.GetTransitiveDependencies())
	if err != nil {
		return nil, err
	}
	deps := make([]*pulumirpc.DependencyInfo, 0, len(pkgs))
	for _, p := range pkgs {
		deps = append(deps, &pulumirpc.DependencyInfo{Name: p.Name, Version: p.Version})
	}
	return &pulumirpc.GetProgramDependenciesResponse{Dependencies: deps}, nil
}

func (h *nodeHost) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, fmt.Errorf("could not find node on the $PATH: %w", err)
	}
	out, err := exec.CommandContext(ctx, node, "--version").Output()
	if err != nil {
		return nil, fmt.Errorf("running node --version: %w", err)
	}
	return &pulumirpc.AboutResponse{
		Executable: node,
		Version:    strings.TrimPrefix(strings.TrimSpace(string(out)), "v"),
		Metadata:   map[string]string{"languageHost": "pulumi-cli-tools minimal nodejs host"},
	}, nil
}

var _ io.Writer = streamWriter{}
