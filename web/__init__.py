"""Web: the Flask UI and JSON API over one data directory."""
