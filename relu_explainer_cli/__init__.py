"""relu-explainer: the command that renders, stitches and lists the explainer scenes."""
