package analytics

import (
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"boucle/shared/domain"
)

// themeTexts is every complaint's description as the themes read it (its
// terms and two-word phrases, each with the form it was written in),
// tokenised once per dataset on every core and numbered, so that a
// dashboard refresh counts small integers instead of running the text
// pipeline and hashing strings over every complaint of the period again.
type themeTexts struct {
	once    sync.Once
	built   atomic.Bool // the fields below are set (adopt reads them from another dataset)
	terms   dict        // term ids: the stems
	phrases dict        // phrase ids: two stems joined by a space
	forms   dict        // written forms, of terms and phrases
	start   []int32     // by position: the complaint's occurrences are occ[start[p]:start[p+1]]
	occ     []themeOcc
}

// themeOcc is one occurrence of a term or phrase in a description, in the
// order written.
type themeOcc struct {
	key, form int32 // term or phrase id; form id
	phrase    bool
}

// themeTexts returns the dataset's descriptions tokenised for the themes,
// built at the first call.
func (ds *Dataset) themeTexts() *themeTexts {
	t := &ds.themes
	t.once.Do(func() {
		t.build(ds.complaints)
		t.built.Store(true)
	})
	return t
}

// adopt takes the tokens of an earlier dataset whose complaints have the
// same descriptions in the same order (see AdoptProblems), if it had
// built them and t has not.
func (t *themeTexts) adopt(prev *themeTexts) {
	if !prev.built.Load() {
		return
	}
	t.once.Do(func() {
		t.terms, t.phrases, t.forms, t.start, t.occ = prev.terms, prev.phrases, prev.forms, prev.start, prev.occ
		t.built.Store(true)
	})
}

// writtenOcc is an occurrence before numbering.
type writtenOcc struct {
	key, form string
	phrase    bool
}

func (t *themeTexts) build(cs []*domain.Complaint) {
	written := make([][]writtenOcc, len(cs))
	workers := max(1, min(runtime.GOMAXPROCS(0), len(cs)/1000+1))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for p := w; p < len(cs); p += workers {
				written[p] = themeOccurrences(cs[p].Description)
			}
		})
	}
	wg.Wait()
	n := 0
	for _, w := range written {
		n += len(w)
	}
	t.start, t.occ = make([]int32, len(cs)+1), make([]themeOcc, 0, n)
	for p, w := range written {
		for _, o := range w {
			key := &t.terms
			if o.phrase {
				key = &t.phrases
			}
			t.occ = append(t.occ, themeOcc{key: key.id(o.key), form: t.forms.id(o.form), phrase: o.phrase})
		}
		t.start[p+1] = int32(len(t.occ))
	}
}

// themeOccurrences runs the text pipeline over a description: each kept
// word is a term; two kept words next to each other, not across
// punctuation, make a phrase, written as in the text with its stop words
// ("traces de graisse").
func themeOccurrences(text string) []writtenOcc {
	var out []writtenOcc
	var prev token
	tokenize(text, func(tok token) {
		out = append(out, writtenOcc{key: tok.term, form: tok.form})
		if prev.term != "" && tok.follow && prev.term != tok.term {
			out = append(out, writtenOcc{key: prev.term + " " + tok.term, phrase: true,
				form: strings.Join(strings.Fields(strings.ToLower(text[prev.start:tok.end])), " ")})
		}
		prev = tok
	})
	return out
}

// at returns the occurrences of the complaint at position p.
func (t *themeTexts) at(p int32) []themeOcc { return t.occ[t.start[p]:t.start[p+1]] }
