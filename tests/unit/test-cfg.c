/* Unit tests of stages/common/cfg.c. */
#include <stdlib.h>
#include <unistd.h>

#include "common/cfg.h"
#include "tap.h"

int
main(void)
{
	char path[] = "/tmp/tiss-cfg-XXXXXX";
	int fd = mkstemp(path);
	FILE *fp = fdopen(fd, "w");
	struct cfg cfg;

	fputs("# comment\n[operadora]\nregistro_ans = 123456 # inline\n"
	    "vazio =\nurl = http://x/#frag\n[import]\nmin_age=5\n"
	    "min_age = 7\n", fp);
	fclose(fp);
	cfg_load(&cfg, path);
	ok_str(cfg_get(&cfg, "operadora", "registro_ans"), "123456",
	    "value with inline comment");
	ok(cfg_get(&cfg, "operadora", "vazio") == NULL, "empty is absent");
	ok_str(cfg_get(&cfg, "operadora", "url"), "http://x/#frag",
	    "# inside a value is kept");
	ok(cfg_get_long(&cfg, "import", "min_age", 2, 0, 60) == 7,
	    "last setting wins");
	ok(cfg_get_long(&cfg, "import", "absent", 2, 0, 60) == 2, "default");
	ok(cfg_get(&cfg, "import", "registro_ans") == NULL, "sections apart");
	cfg_release(&cfg);
	unlink(path);
	return tap_done();
}
