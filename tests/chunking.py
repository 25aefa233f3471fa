"""Row-chunked Dask copies of in-memory test data (the tests under tests/dask/)."""

#: Even chunks, uneven ones with a chunk of one row, and a single chunk, of 1000 rows.
CHUNKINGS = [(250, 250, 250, 250), (300, 1, 199, 500), (1000,)]


def chunked(a, chunks):
    """``a`` as a Dask array with the row chunks ``chunks`` and one chunk along the rest."""
    import dask.array as da

    return da.from_array(a, chunks=(chunks,) + a.shape[1:])
