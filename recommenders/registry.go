package recommenders

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
)

// Panic messages of the registry (programmer errors).
const (
	errRegisterName = "recommenders: Register: empty algorithm name"
	errRegisterNil  = "recommenders: Register: nil factory"
	errRegisterDup  = "recommenders: Register called twice for algorithm "
)

// ErrUnknownAlgorithm is wrapped by the error [Registry.New] returns for a
// name that is not registered.
var ErrUnknownAlgorithm = errors.New("unknown algorithm")

// Factory describes a registered algorithm and makes instances of it.
type Factory struct {
	// Doc describes the algorithm in a sentence or two, with a reference
	// for its definition.
	Doc string
	// Params declares the parameters New reads, in the order listings
	// show them.
	Params []Param
	// New makes an unfitted instance with the given, already checked,
	// parameter values. It may return an error wrapping ErrParam for
	// combinations of values that are invalid together.
	New func(v Values) (Recommender, error)
}

// Registry maps algorithm names to their factories. The zero value is not
// usable; call [NewRegistry]. A Registry is safe for concurrent use.
type Registry struct {
	mu        sync.RWMutex
	factories map[string]Factory
}

// NewRegistry returns an empty registry. recommenders/all.Default returns
// one holding the built-in algorithms.
func NewRegistry() *Registry {
	return &Registry{factories: make(map[string]Factory)}
}

// Register adds an algorithm under name.
//
// Register panics if name is empty, f.New is nil, name is already
// registered, or the parameter declarations are invalid (a name empty or
// declared twice, a default of the wrong type or out of range).
func (r *Registry) Register(name string, f Factory) {
	if name == "" {
		panic(errRegisterName)
	}
	if f.New == nil {
		panic(errRegisterNil)
	}
	checkParams(f.Params)
	f.Params = slices.Clone(f.Params)
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.factories[name]; dup {
		panic(errRegisterDup + name)
	}
	r.factories[name] = f
}

func checkParams(params []Param) {
	seen := make(map[string]bool, len(params))
	for _, p := range params {
		if p.Name == "" {
			panic(errParamName)
		}
		if seen[p.Name] {
			panic(errParamDup + ": " + p.Name)
		}
		seen[p.Name] = true
		if p.Kind < KindInt || p.Kind > KindDuration {
			panic(errParamKind)
		}
		if p.required {
			continue
		}
		if _, err := p.convert(p.Default); err != nil || p.Default == nil {
			panic(errParamDefault + ": " + p.Name)
		}
		if p.Kind == KindString {
			if _, ok := p.Default.(string); !ok {
				panic(errParamDefault + ": " + p.Name)
			}
		}
	}
}

// Names returns the registered names, sorted.
func (r *Registry) Names() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return slices.Sorted(maps.Keys(r.factories))
}

// Lookup returns the factory registered under name, to list its
// documentation and parameters. The Params slice is a copy.
func (r *Registry) Lookup(name string) (Factory, bool) {
	r.mu.RLock()
	f, ok := r.factories[name]
	r.mu.RUnlock()
	f.Params = slices.Clone(f.Params)
	return f, ok
}

// Resolve checks params against the declarations of algorithm name and
// returns every parameter's value, defaults filled in.
//
// It returns an error wrapping [ErrUnknownAlgorithm] that lists the
// registered names when name is not registered, and a [*ParamError]
// (wrapping [ErrParam]) naming the algorithm, the parameter and the
// allowed values for an unknown parameter, a malformed or out-of-range
// value, or a required parameter not given.
func (r *Registry) Resolve(name string, params Params) (Values, error) {
	r.mu.RLock()
	f, ok := r.factories[name]
	names := slices.Sorted(maps.Keys(r.factories))
	r.mu.RUnlock()
	if !ok {
		return Values{}, fmt.Errorf("recommenders: %w %q (registered: %s)", ErrUnknownAlgorithm, name, strings.Join(names, ", "))
	}
	return resolve(name, f.Params, params)
}

// New returns an unfitted instance of algorithm name with the given
// parameters. It returns the errors of [Registry.Resolve], and those of
// the factory.
func (r *Registry) New(name string, params Params) (Recommender, error) {
	v, err := r.Resolve(name, params)
	if err != nil {
		return nil, err
	}
	r.mu.RLock()
	f := r.factories[name]
	r.mu.RUnlock()
	return f.New(v)
}
