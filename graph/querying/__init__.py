"""Running /sparql queries with a timeout that really stops the work, and a size limit
(see runners.py): worker processes over an on-disk store, threads over one in memory, the
server itself for a remote store. `text` reads what a query text uses before it runs."""
