"""A local emulator of GitHub's REST API with real git hosting and a workflow runner."""
