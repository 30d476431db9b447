"""Between reading and writing: gathering, selection, grouping, assets and fetching, dates, the JSON form, atomic files."""
