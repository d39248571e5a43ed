DROP TABLE object_gc;
DROP TABLE image_variants;
DROP TABLE images;
