"""The Plan Delivery Update as a Word document (``paper.docx``): :mod:`.content` says what it
holds, from the pack's own functions; :mod:`.word` lays it out in the OPCC's layout."""
