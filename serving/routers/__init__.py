"""HTTP routers, one per resource; the app factory (`serving.app`) mounts them."""
