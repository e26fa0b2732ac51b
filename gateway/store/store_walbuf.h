/*
 * store_walbuf: a VFS that writes each SQLite commit's log frames in one
 * call, internal to gateway/store.  Only the write-ahead log is changed;
 * what reaches the file, and when it is visible to other connections, is
 * what SQLite would have written (see store_walbuf.c).
 */
#ifndef SP_STORE_WALBUF_H
#define SP_STORE_WALBUF_H

/* The VFS's name for sqlite3_open_v2(), registered on first use; NULL
 * when it could not be (the default VFS is then used). */
const char	*store_walbuf_vfs(void);

#endif
