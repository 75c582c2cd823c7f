"""The officers' web console (static HTML, CSS and JavaScript modules, no build step)."""
