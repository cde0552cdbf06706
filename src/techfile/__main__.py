from techfile.cli import console

console()
