"""Post tomorrow's forecast to the team channel."""
