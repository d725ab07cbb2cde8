"""The `govspider` command: the one place that ties crawl, store, report and workbook together."""
