package main

import (
	"bufio"
	"bytes"
	"flag"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The deployment examples (deploy/, docs/deployment.md) name commands,
// flags and BOUCLE_* variables of this binary: these tests fail when one
// of them does not exist, so the examples cannot drift from the program.

const (
	unitFile    = "../../deploy/boucle-server.service"
	composeFile = "../../deploy/compose.yaml"
	composeS3   = "../../deploy/compose.s3.yaml"
	guideFile   = "../../docs/deployment.md"
)

// knownVariables are the BOUCLE_* variables the program reads: those
// commonFlags and every command's flags ask the environment for.
func knownVariables() map[string]bool {
	seen := map[string]bool{}
	env := func(k string) string { seen[k] = true; return "" }
	for _, c := range commands {
		var cfg config
		fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
		commonFlags(fs, &cfg, env)
		if c.flags != nil {
			c.flags(fs, &cfg)
		}
	}
	return seen
}

// checkCommandLine checks that args (after the binary) name a command and
// only flags that command takes.
func checkCommandLine(t *testing.T, where string, args []string) {
	t.Helper()
	cmd, rest := findCommand(args)
	if cmd == nil {
		t.Errorf("%s: boucle-server has no command %q", where, strings.Join(args, " "))
		return
	}
	fs := flag.NewFlagSet(cmd.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	commonFlags(fs, &config{}, func(string) string { return "" })
	if cmd.flags != nil {
		cmd.flags(fs, &config{})
	}
	for i := 0; i < len(rest); i++ {
		arg := rest[i]
		if !strings.HasPrefix(arg, "-") {
			continue
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(arg, "-"), "=")
		f := fs.Lookup(name)
		if f == nil {
			t.Errorf("%s: %s takes no flag --%s", where, cmd.name, name)
			continue
		}
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
			continue
		}
		if !hasValue {
			i++ // the flag's value
		}
	}
}

func checkVariables(t *testing.T, where string, names []string) {
	t.Helper()
	known := knownVariables()
	for _, n := range names {
		if strings.HasPrefix(n, "BOUCLE_") && !known[n] {
			t.Errorf("%s: boucle-server reads no variable %s", where, n)
		}
	}
}

// unit is what the tests read of a systemd unit: ExecStart's words and
// the Environment= assignments.
type unit struct {
	execStart []string
	env       map[string]string
}

func readUnit(t *testing.T, path string) unit {
	t.Helper()
	body, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	u := unit{env: map[string]string{}}
	sc := bufio.NewScanner(bytes.NewReader(body))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		key, value, ok := strings.Cut(line, "=")
		switch {
		case !ok || strings.HasPrefix(line, "#"):
		case key == "ExecStart":
			u.execStart = strings.Fields(value)
		case key == "Environment":
			for _, kv := range strings.Fields(value) {
				k, v, _ := strings.Cut(kv, "=")
				u.env[k] = v
			}
		}
	}
	return u
}

// The unit's ExecStart runs a command of boucle-server with flags it
// takes, its variables exist, and the whole, flags over variables, passes
// the program's own checks (ParseFlags).
func TestSystemdUnitRunsARealCommand(t *testing.T) {
	u := readUnit(t, unitFile)
	if len(u.execStart) < 2 || filepath.Base(u.execStart[0]) != "boucle-server" {
		t.Fatalf("ExecStart = %q; want boucle-server COMMAND …", u.execStart)
	}
	checkCommandLine(t, "ExecStart", u.execStart[1:])
	var names []string
	for k := range u.env {
		names = append(names, k)
	}
	checkVariables(t, "Environment=", names)
	m := &Main{Stdout: io.Discard, Stderr: io.Discard, Getenv: func(k string) string { return u.env[k] }}
	if err := m.ParseFlags(u.execStart[1:]); err != nil {
		t.Fatalf("boucle-server refuses the unit's ExecStart: %v", err)
	}
	if m.cmd.name != "serve" {
		t.Fatalf("the unit runs %q; want serve", m.cmd.name)
	}
}

// systemd-analyze verify finds no error and no warning (an unknown or
// misspelt directive is only a warning) in the unit, its ExecStart pointed
// at an executable that exists here.
func TestSystemdUnitVerifies(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze is not installed: the unit's syntax is not verified (its ExecStart is, by TestSystemdUnitRunsARealCommand)")
	}
	body, err := os.ReadFile(unitFile)
	if err != nil {
		t.Fatal(err)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	copied := strings.Replace(string(body), "ExecStart=/usr/local/bin/boucle-server ", "ExecStart="+self+" ", 1)
	if copied == string(body) {
		t.Fatal("ExecStart does not start with /usr/local/bin/boucle-server, as the guide installs it")
	}
	path := filepath.Join(t.TempDir(), "boucle-server.service")
	if err := os.WriteFile(path, []byte(copied), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(analyze, "verify", path).CombinedOutput()
	if err != nil || len(bytes.TrimSpace(out)) > 0 {
		t.Fatalf("systemd-analyze verify: %v\n%s", err, out)
	}
}

type composeService struct {
	Entrypoint  []string          `yaml:"entrypoint"`
	Command     []string          `yaml:"command"`
	Environment map[string]string `yaml:"environment"`
	Secrets     []string          `yaml:"secrets"`
}

type composeProject struct {
	Services map[string]composeService `yaml:"services"`
	Secrets  map[string]any            `yaml:"secrets"`
}

func readCompose(t *testing.T, path string) composeProject {
	t.Helper()
	body, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var file composeProject
	if err := yaml.Unmarshal(body, &file); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return file
}

// The optional MinIO file over compose.yaml gives both boucle-server
// services settings the program takes (each service's command with its
// environment merged, as compose merges it, passes ParseFlags, and every
// variable exists): the bucket it names is the one its setup creates, on
// its own MinIO service, with keys from a secret it declares, never from
// the environment.
func TestComposeS3FileGivesRealSettings(t *testing.T) {
	base, over := readCompose(t, composeFile), readCompose(t, composeS3)
	setup := strings.Join(over.Services["minio-setup"].Command, " ")
	servers := 0
	for name, s := range over.Services {
		for _, secret := range s.Secrets {
			if over.Secrets[secret] == nil {
				t.Errorf("%s: service %s uses the secret %s, which the file does not declare", composeS3, name, secret)
			}
		}
		b, ok := base.Services[name]
		if !ok || len(b.Entrypoint) == 0 {
			continue
		}
		servers++
		var names []string
		env := map[string]string{}
		for k, v := range b.Environment {
			env[k] = v
		}
		for k, v := range s.Environment {
			names, env[k] = append(names, k), v
		}
		sort.Strings(names)
		checkVariables(t, name+": environment", names)
		m := &Main{Stdout: io.Discard, Stderr: io.Discard, Getenv: func(k string) string { return env[k] }}
		if err := m.ParseFlags(append(b.Entrypoint[1:], b.Command...)); err != nil {
			t.Errorf("%s with %s: boucle-server refuses it: %v", name, composeS3, err)
			continue
		}
		ev := m.cfg.Evidence
		bucket, _, _ := strings.Cut(strings.TrimPrefix(ev.URL, "s3://"), "/")
		if !strings.HasPrefix(ev.URL, "s3://") || !strings.Contains(setup, "local/"+bucket) {
			t.Errorf("%s: evidence in %q; want a bucket minio-setup creates", name, ev.URL)
		}
		if host := strings.TrimPrefix(ev.Endpoint, "http://"); over.Services[strings.Split(host, ":")[0]].Command == nil {
			t.Errorf("%s: endpoint %q is no service of %s", name, ev.Endpoint, composeS3)
		}
		if ev.accessKey != "" || !slices.Contains(s.Secrets, filepath.Base(ev.credentialsFile)) {
			t.Errorf("%s: keys from %q; want BOUCLE_S3_CREDENTIALS_FILE, a secret of the service", name, ev.credentialsFile)
		}
	}
	if servers != 2 {
		t.Fatalf("%s sets the bucket on %d boucle-server services of %s; want both", composeS3, servers, composeFile)
	}
}

// Every boucle-server service of the compose file runs a real command
// with real flags, and sets only variables the program reads.
func TestComposeFileRunsRealCommands(t *testing.T) {
	body, err := os.ReadFile(composeFile)
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Services map[string]composeService `yaml:"services"`
	}
	if err := yaml.Unmarshal(body, &file); err != nil {
		t.Fatalf("%s: %v", composeFile, err)
	}
	servers := 0
	for name, s := range file.Services {
		if len(s.Entrypoint) == 0 || filepath.Base(s.Entrypoint[0]) != "boucle-server" {
			continue
		}
		servers++
		checkCommandLine(t, name+": command", append(s.Entrypoint[1:], s.Command...))
		var names []string
		for k := range s.Environment {
			names = append(names, k)
		}
		sort.Strings(names)
		checkVariables(t, name+": environment", names)
	}
	if servers < 2 {
		t.Fatalf("%d boucle-server services in %s; the example runs two instances", servers, composeFile)
	}
}

var guideVariable = regexp.MustCompile(`BOUCLE_[A-Z0-9_]+`)

// The guide's command lines (in its code blocks) and the variables it
// names exist.
func TestDeploymentGuideNamesRealCommands(t *testing.T) {
	body, err := os.ReadFile(guideFile)
	if err != nil {
		t.Fatal(err)
	}
	checkVariables(t, guideFile, guideVariable.FindAllString(string(body), -1))
	lines, inCode := 0, false
	for i, line := range strings.Split(string(body), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "```") { // a block in a list is indented
			inCode = !inCode
			continue
		}
		if !inCode {
			continue
		}
		words := strings.Fields(line)
		for j, w := range words {
			if w != "boucle-server" || j+1 >= len(words) {
				continue
			}
			lines++
			checkCommandLine(t, guideFile+":"+strconv.Itoa(i+1), shellWords(words[j+1:]))
			break
		}
	}
	if lines == 0 {
		t.Fatal("no boucle-server command line found in the guide's code blocks")
	}
}

// shellWords stops at the end of one command: a pipe, a redirection, a
// comment or another command.
func shellWords(words []string) []string {
	for i, w := range words {
		if w == "|" || w == ";" || w == "&&" || w == "\\" || strings.HasPrefix(w, ">") || strings.HasPrefix(w, "2>") || strings.HasPrefix(w, "#") || strings.HasPrefix(w, "<") {
			return words[:i]
		}
	}
	return words
}
