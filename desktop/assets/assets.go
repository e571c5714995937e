// Package assets holds the app's icon and metadata, embedded so that a
// plain 'go build' (make build, make run) has them too: 'fyne package'
// writes its own metadata from FyneApp.toml, a test keeps both in step.
package assets

import (
	_ "embed"

	"fyne.io/fyne/v2"
)

//go:embed icon.png
var iconPNG []byte

// Icon is the app's icon.
var Icon = fyne.NewStaticResource("icon.png", iconPNG)

// Metadata mirrors FyneApp.toml at the repository's root.
var Metadata = fyne.AppMetadata{ID: "com.boucle.app", Name: "Boucle", Version: "0.1.0", Build: 1, Icon: Icon}
