/* tui/main.c: placeholder until the console lands. */
#include <stdio.h>
int main(void)
{
	puts("payops: the console is not built yet");
	return 0;
}
