-- CreateTable
CREATE TABLE "products" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "price_cents" INTEGER NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "products_pkey" PRIMARY KEY ("id")
);

-- Seed: the shop's first products
INSERT INTO "products" ("name", "price_cents") VALUES ('Espresso beans, 1 kg', 2490), ('Ceramic cup', 1200), ('Hand grinder', 5900);
