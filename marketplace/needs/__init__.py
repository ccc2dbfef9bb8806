"""需求征集: the needs pool — students post needs, others support them, union staff answer each."""
