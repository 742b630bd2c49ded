"""Working with a graph served elsewhere: serve it, push it to a store, query an endpoint."""
