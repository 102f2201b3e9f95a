"""The front page of the pack: the quarter at a glance, built from the pages' own findings.

It sits above the subjects and reads every one of them through their registry
(:mod:`pcp_lib.subjects.registry`: each subject's ``findings(ctx)``), so it is not one of
them (subjects stand alone), and below the pack, which only renders and publishes it
(:mod:`pcp_lib.pack.front`)."""
