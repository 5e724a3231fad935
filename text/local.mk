# text: sanitising, measuring and formatting every string shown
