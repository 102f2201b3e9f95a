"""Methods that know nothing of files or subjects: periods, parsing, units, the RAG rule, SPC, significance, Erlang."""
