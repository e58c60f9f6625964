"""A remote store: any SPARQL 1.1 Query + Update server. `store.RemoteStore` is the store;
`config`, `engines`, `http`, `values` and `loads` are its parts (imported one by one: the
HTTP side loads SPARQLWrapper, which a command on the embedded store never needs)."""
