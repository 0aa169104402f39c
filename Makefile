# Convenience targets; the scripts in tools/ do the work (and set up .venv on first use).
.PHONY: book test student lab clean serve

book:      ## build the site into _build/html
	bash tools/build_book.sh

test:      ## everything CI runs: library tests, nbval, book build, browser test
	bash tools/run_tests.sh

student:   ## student edition (no solutions) into _build/student/html
	bash tools/build_student.sh

lab:       ## open the chapters as notebooks in JupyterLab (jupyterlab-myst, Jupytext)
	bash tools/lab.sh

serve:     ## serve _build/html on http://127.0.0.1:8000
	.venv/bin/python -m http.server 8000 --bind 127.0.0.1 --directory _build/html

clean:     ## remove the build output (keeps .venv)
	rm -rf _build
