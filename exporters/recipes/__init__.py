"""Recipes: a TOML file that says where articles come from, what to make of them and where it goes."""
