"""Plain text copied out of a browser: the page's chrome removed by general rules, bylines found."""
