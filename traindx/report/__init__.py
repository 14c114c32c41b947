"""Report renderers: terminal (rich), json, markdown. One module per format."""
