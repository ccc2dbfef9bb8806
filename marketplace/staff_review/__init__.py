"""述职评议: each term's review of a union's staff, rated on the survey engine (see ``models``)."""
