"""Open data (开放数据): one public JSON document per published project, named and shaped after the Open
Contracting Data Standard, a bulk download rebuilt in the background, and the schema and field page
both generated from one field table."""
