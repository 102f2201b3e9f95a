"""How pages look: the page contract, HTML building blocks and one module per chart type."""
