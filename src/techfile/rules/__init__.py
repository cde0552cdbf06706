"""Rules by family. Each module holds the rules of one family; `registry` finds them."""
